"""Recipe-model quality suite: pytest plugin, dietary oracle and MLX helpers."""

__version__ = "0.1.0"
