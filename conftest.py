# The suite's plugin; also registered as the ``plugin.plugin`` pytest11 entry point when installed,
# under the same name, so pytest loads it once either way. pytester tests the plugin itself.
pytest_plugins = ["plugin.plugin", "pytester"]

# pytest-randomly reseeds numpy in every pytester run it is active in (our own runs say -p no:randomly,
# the plugin's tests' runs do not). Imported there first, numpy would be dropped with the run's other
# new modules and fail to load again ("cannot load module more than once per process"): load it here.
import numpy  # noqa: E402, F401
