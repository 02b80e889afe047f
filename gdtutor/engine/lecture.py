"""The lecture's example, as the lecture writes it (no imports: anything may name it cheaply)."""

LECTURE_FUNCTION = "(x - 3.5)**2 - 4.5*x + 10"
"""The lecture's example, f(x) = (x - 3.5)**2 - 4.5*x + 10, whose minimum is at x = 5.75."""
LECTURE_DERIVATIVE = "2*(x - 3.5) - 4.5"
"""The lecture's g(x), written as the lecture writes it; this form is what makes its numbers exact."""
