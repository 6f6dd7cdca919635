package dev.switchboard.pipeline;

import java.util.List;

/**
 * Runs a request through the steps, in order. The chain checks each step's contract and names the
 * step that broke it (as OkHttp's RealInterceptorChain does).
 */
public final class Pipeline {
  private final List<Step> steps;

  public Pipeline(List<Step> steps) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a pipeline needs at least one step");
    }
    this.steps = List.copyOf(steps);
  }

  public Reply execute(Request request) {
    return new RealChain(0).proceed(request);
  }

  private final class RealChain implements Step.Chain {
    private final int index;
    private boolean called;

    RealChain(int index) {
      this.index = index;
    }

    @Override
    public Reply proceed(Request request) {
      if (index >= steps.size()) {
        throw new IllegalStateException("step " + steps.get(index - 1).getClass().getSimpleName()
            + " passed the request on, but it is the last step and must answer");
      }
      if (called) {
        throw new IllegalStateException("step " + (index == 0 ? "(first)" : steps.get(index - 1).getClass().getSimpleName())
            + " called proceed() more than once");
      }
      called = true;
      Step step = steps.get(index);
      Reply reply = step.handle(request, new RealChain(index + 1));
      if (reply == null) {
        throw new IllegalStateException("step " + step.getClass().getSimpleName() + " returned null");
      }
      return reply;
    }
  }
}
