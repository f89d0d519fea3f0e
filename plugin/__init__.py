"""Recipe-model quality suite.

Rooms (see the README's Layout table): ``plugin.diet`` (the dietary domain, stdlib only),
``plugin.runtime`` (MLX), ``plugin.report`` (matplotlib), and the modules at this level,
which are the pytest layer plus ``paths`` and ``atomic``.
"""
