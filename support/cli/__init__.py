"""The support commands: each group in its own module, registered by textual path in support/declare.py."""
