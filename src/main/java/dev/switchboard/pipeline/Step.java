package dev.switchboard.pipeline;

/**
 * One step of the request pipeline. A step answers ({@code return} a reply), refuses (throws
 * {@link dev.switchboard.jsonrpc.McpError}) or passes on ({@code chain.proceed(request)}, possibly with
 * a changed copy of the request). It must not return null.
 */
public interface Step {
  Reply handle(Request request, Chain chain);

  /** The rest of the pipeline after the current step. */
  interface Chain {
    Reply proceed(Request request);
  }
}
