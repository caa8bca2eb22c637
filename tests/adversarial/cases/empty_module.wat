;; The empty module (hardening issue, finding 18): deploy rejects it.
(module)
