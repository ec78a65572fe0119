"""Resume after a crash: kill -9 at random moments, then no duplicate and no lost article.

The CI-sized version of `bench/crash_resume.py --runs 20`.
"""

from __future__ import annotations

from bench.crash_resume import run_trials


def test_kill_and_resume_loses_nothing_and_duplicates_nothing(tmp_path):
    trials = run_trials(runs=5, articles_count=150, seed=7, workdir=tmp_path)
    assert sum(trial.killed for trial in trials) >= 3, trials
    for trial in trials:
        assert trial.problems == [], trial
    assert any(trial.stored_when_killed > 0 for trial in trials), trials
