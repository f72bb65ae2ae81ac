"""alignsim: an agent-based simulator of diplomatic alignment."""

__version__ = "0.1.0"
