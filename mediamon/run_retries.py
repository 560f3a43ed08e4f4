"""Retries a run may lower through its conf.

Scheduled runs keep the DAG's retries (transient failures heal unattended).
Someone waiting at a terminal wants the failure now, not after the scheduler's
five-minute retry delays: `mediamon run`, when it triggers the running
scheduler, passes {"retries": N} (0 by default) in the run's conf. The policy
can only lower the count: Airflow never retries past the task's own setting."""
from __future__ import annotations

from airflow.sdk import RetryDecision, RetryPolicy


class RunRetries(RetryPolicy):
    def evaluate(self, exception, try_number, max_tries, context=None) -> RetryDecision:
        dag_run = (context or {}).get("dag_run")
        limit = ((getattr(dag_run, "conf", None) or {}).get("retries"))
        if isinstance(limit, int) and not isinstance(limit, bool) and try_number > limit:
            return RetryDecision.fail(f"this run allows {limit} retr{'y' if limit == 1 else 'ies'} (its conf)")
        return RetryDecision.default()

    def serialize(self) -> dict:
        return {"__type": "RunRetries"}
