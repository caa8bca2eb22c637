package io.ward.sdk;

/** A read-only call ({@code ward_call}) did not end ok; nothing was committed. */
public final class CallFailedException extends WardException {
  private static final long serialVersionUID = 1L;
  private final transient CallResult result;

  /**
   * @param method the method called
   * @param result the call's result
   */
  public CallFailedException(String method, CallResult result) {
    super("call " + method + " " + result.status() + (result.error() != null ? ": " + result.error() : ""));
    this.result = result;
  }

  /** The call's result (status, error, gas used). */
  public CallResult result() { return result; }
}
