package dev.switchboard.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The directory the {@code files} demo may read, and the check that keeps every path inside it.
 * A path is refused when it leaves the root lexically ({@code ..}, an absolute path elsewhere) or
 * through a symbolic link anywhere along it: the check is made on the real path, with every link
 * resolved, against the real root.
 */
final class Sandbox {
  private final Path givenRoot;
  private final Path realRoot;

  /** @throws IOException when the root does not exist or is not a directory */
  Sandbox(Path root) throws IOException {
    this.givenRoot = root.toAbsolutePath().normalize();
    try {
      this.realRoot = givenRoot.toRealPath();
    } catch (NoSuchFileException e) {
      throw new IOException("sandbox root does not exist: " + root, e);
    }
    if (!Files.isDirectory(realRoot)) {
      throw new IOException("sandbox root is not a directory: " + root);
    }
  }

  Path root() {
    return realRoot;
  }

  /**
   * The real path of an existing file or directory named by {@code given} (relative to the root, or
   * absolute inside it).
   *
   * @throws ToolFailure when the path escapes the root, does not exist, or cannot be read
   */
  Path resolve(String given) {
    Path candidate = lexical(given);
    try {
      Path real = candidate.toRealPath();
      if (!real.startsWith(realRoot)) {
        throw escapes(given);
      }
      return real;
    } catch (NoSuchFileException e) {
      refuseIfAnyExistingPartEscapes(candidate, given);
      throw new ToolFailure("No such file: " + given);
    } catch (IOException e) {
      throw new ToolFailure("Cannot access " + given + ": " + e.getMessage());
    }
  }

  /** The path relative to the root, with {@code /} separators; {@code .} for the root itself. */
  String relative(Path real) {
    String rel = realRoot.relativize(real).toString().replace(real.getFileSystem().getSeparator(), "/");
    return rel.isEmpty() ? "." : rel;
  }

  private Path lexical(String given) {
    Path path;
    try {
      path = Path.of(given);
    } catch (InvalidPathException e) {
      throw new ToolFailure("Invalid path: " + given + " (" + e.getReason() + ")");
    }
    Path candidate;
    if (path.isAbsolute()) {
      candidate = path.normalize();
      // An absolute path under the root as configured (before its links were resolved) is inside too.
      if (!candidate.startsWith(realRoot) && candidate.startsWith(givenRoot)) {
        candidate = realRoot.resolve(givenRoot.relativize(candidate));
      }
    } else {
      candidate = realRoot.resolve(path).normalize();
    }
    if (!candidate.startsWith(realRoot)) {
      throw escapes(given);
    }
    return candidate;
  }

  /**
   * For a path that does not exist: refuses it when its nearest existing ancestor, or a dangling
   * link at its end, points outside — so "missing" never reveals anything about the outside.
   */
  private void refuseIfAnyExistingPartEscapes(Path candidate, String given) {
    try {
      for (Path p = candidate; p != null && p.startsWith(realRoot); p = p.getParent()) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          if (pointsOutside(p)) {
            throw escapes(given);
          }
          return;
        }
      }
    } catch (IOException e) {
      throw new ToolFailure("Cannot access " + given + ": " + e.getMessage());
    }
  }

  /** Whether an existing path, or the dangling link it is, leads outside the root. */
  private boolean pointsOutside(Path path) throws IOException {
    if (Files.exists(path)) {
      return !path.toRealPath().startsWith(realRoot);
    }
    // A dangling link: judge it by where it points (links inside its target are not followed).
    Path target = path.resolveSibling(Files.readSymbolicLink(path)).normalize();
    return !target.startsWith(realRoot);
  }

  private static ToolFailure escapes(String given) {
    return new ToolFailure("Path escapes the sandbox root: " + given);
  }
}
