# The suite's plugin; also registered as the ``plugin.plugin`` pytest11 entry point when installed,
# under the same name, so pytest loads it once either way. pytester tests the plugin itself.
pytest_plugins = ["plugin.plugin", "pytester"]
