"""Background jobs: the bulk export writer and the hourly removal of expired export files."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def run_export(export_id: str) -> None:
    from .export import export_run

    export_run(export_id=export_id)


@db_periodic_task(crontab(minute="17"))
def expire_exports() -> None:
    from .export import exports_expire

    exports_expire()
