# The suite's plugin; also registered as the ``plugin.plugin`` pytest11 entry point when installed,
# under the same name, so pytest loads it once either way. pytester tests the plugin itself.
pytest_plugins = ["plugin.plugin", "pytester"]

import os  # noqa: E402

# pytest-randomly reseeds numpy in every pytester run it is active in (our own runs say -p no:randomly,
# the plugin's tests' runs do not). Imported there first, numpy would be dropped with the run's other
# new modules and fail to load again ("cannot load module more than once per process"): load it here.
import numpy  # noqa: E402, F401
import pytest  # noqa: E402

from plugin.step_summary import ENV_VAR as JOB_SUMMARY  # noqa: E402


@pytest.fixture(autouse=True)
def _inner_runs_leave_the_job_summary_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin's tests run pytest on fake suites; on GitHub Actions those runs would append their fake
    scorecards to the real job summary. This session read the variable at start-up and still writes it."""
    if JOB_SUMMARY in os.environ:
        monkeypatch.delenv(JOB_SUMMARY)
