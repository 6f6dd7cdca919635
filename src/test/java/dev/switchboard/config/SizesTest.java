package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {
  @ParameterizedTest(name = "{0} is {1} bytes")
  @CsvSource({
      "1048576, 1048576",
      "100B, 100",
      "512KiB, 524288",
      "64MiB, 67108864",
      "1GiB, 1073741824",
      "1TiB, 1099511627776",
      "1KB, 1000",
      "64MB, 64000000",
      "2GB, 2000000000",
      "3TB, 3000000000000",
      "64 MiB, 67108864",
      "0, 0",
  })
  void validSizesParse(String text, long bytes) {
    assertThat(Sizes.parse(text)).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "''{0}'' is not a size")
  @ValueSource(strings = {"", "64 megs", "1.5MiB", "-1", "MiB", "64mb", "64mib", "64M", "64K", "64Mi",
      "99999999999TiB", "99999999999999999999"})
  void invalidSizesAreRejected(String text) {
    assertThat(Sizes.parse(text)).isNull();
  }
}
