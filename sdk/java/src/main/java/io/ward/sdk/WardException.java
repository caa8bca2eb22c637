package io.ward.sdk;

/** Base of every error the SDK raises on purpose. Futures complete exceptionally with these. */
public class WardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong */
  public WardException(String message) { super(message); }

  /** @param message what went wrong @param cause the underlying failure */
  public WardException(String message, Throwable cause) { super(message, cause); }
}
