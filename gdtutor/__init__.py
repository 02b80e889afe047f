"""gdtutor: a terminal tutor that teaches gradient descent."""

__version__ = "0.1.0"
