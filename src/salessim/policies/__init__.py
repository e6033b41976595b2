"""Manager policies: small typed callables chosen by name."""
