"""Command line: python -m app <command> (also installed as `quartierswerkstatt`)."""

import logging
import time

import typer

from app import migrate as migrations

cli = typer.Typer(help="Quartierswerkstatt – Verwaltung auf der Kommandozeile.", no_args_is_help=True)


@cli.callback()
def start() -> None:
    """Every command runs with the same wiring as the web app (e.g. seed-demo publishes versions, whose hooks
    answer comments and send mail)."""
    from app import wiring

    wiring.wire()


@cli.command()
def migrate() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    done = migrations.upgrade()
    steps = f"{done.steps} Migration{'en' if done.steps != 1 else ''} ausgeführt"
    if done.before is None:
        typer.echo(f"Datenbank angelegt: {steps}, Schema auf Stand {done.after}.")
    elif done.steps:
        typer.echo(f"Datenbank aktualisiert: {steps}, Schema von Stand {done.before} auf {done.after}.")
    else:
        typer.echo(f"Datenbank ist auf dem neuesten Stand ({done.after}); nichts zu tun.")


@cli.command()
def serve(host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000),
          workers: int = typer.Option(1, envvar="WEB_CONCURRENCY", help="Worker processes."),
          proxy_headers: bool = typer.Option(False, help="Trust X-Forwarded-* from --forwarded-allow-ips."),
          forwarded_allow_ips: str = typer.Option("127.0.0.1", envvar="FORWARDED_ALLOW_IPS"),
          access_log: bool = typer.Option(True), log_level: str = typer.Option("info"),
          app: str = typer.Option("app.main:app", help="The ASGI app to serve (import string).")) -> None:
    """Serve the app with uvicorn worker processes (TCP_NODELAY on every connection)."""
    from app.web.serve import serve as run

    run(app, host=host, port=port, workers=workers, proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips, access_log=access_log, log_level=log_level)


@cli.command("create-admin")
def create_admin(email: str = typer.Option(..., prompt=True),
                 name: str = typer.Option("Administration", prompt=False),
                 password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True)) -> None:
    """Create an administrator account."""
    from app.accounts import service
    from app.accounts.models import Role
    from app.accounts.schemas import UserCreate
    from app.db import new_session
    from app.errors import DomainError
    from app.validation import parse

    try:
        with new_session(writer=True) as session:
            data = parse(UserCreate, {"email": email, "display_name": name, "role": Role.admin, "password": password})
            user = service.create_user(session, actor=None, data=data)
    except DomainError as exc:
        details = "; ".join(f"{field}: {message}" for field, message in exc.errors)
        typer.echo(f"Fehler: {exc.message} {details}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Administrationskonto {user.email} angelegt (id {user.id}).")


@cli.command("seed-demo")
def seed_demo() -> None:
    """Load the demo data (idempotent: does nothing twice)."""
    from app.db import new_session
    from app.demo.seed import seed

    with new_session(writer=True) as session:
        created = seed(session)
    typer.echo("Demodaten geladen." if created else "Demodaten waren schon vorhanden.")


@cli.command("deliver-mail")
def deliver_mail(loop: bool = typer.Option(False, help="Keep running and deliver every few seconds."),
                 interval: float = 5.0) -> None:
    """Send queued e-mails from the outbox (with retry and backoff)."""
    from app.db import new_session
    from app.events.service import send_reminders
    from app.notifications.service import deliver_pending, run_periodic
    from app.rounds.service import advance_by_time

    logging.basicConfig(level=logging.INFO)
    while True:
        with new_session(writer=True) as session:  # the same worker records rounds opening and closing by time
            advance_by_time(session)
        run_periodic()  # round notices, the moderators' flag batch, daily digests
        with new_session(writer=True) as session:  # and queues the Werkstätten's reminders, 24 h before, once
            send_reminders(session)
        sent, failed = deliver_pending()
        if sent or failed or not loop:
            typer.echo(f"{sent} gesendet, {failed} fehlgeschlagen (wird erneut versucht).")
        if not loop:
            return
        time.sleep(interval)


@cli.command("purge")
def purge() -> None:
    """Delete what is past its retention period now (mails, expired tokens, rate limits, audit entries about
    persons; QW_RETENTION_*). The deliver-mail worker does the same once an hour."""
    from app.accounts import retention
    from app.db import new_session

    with new_session(writer=True) as session:
        counts = retention.purge(session)
        session.commit()
    typer.echo(f"Gelöscht: {counts['mails']} E-Mails, {counts['tokens']} abgelaufene Anmeldungen, Links und "
               f"Einladungen, {counts['rate_limits']} Einträge des Missbrauchsschutzes, {counts['audit']} "
               "Protokolleinträge über Personen.")


@cli.command("export")
def export_platform(file: str = typer.Argument(..., help="Zieldatei (JSON); - für die Standardausgabe")) -> None:
    """Write the whole platform as JSON (to move it between SQLite and PostgreSQL, or as a backup)."""
    import sys

    from app.db import new_session
    from app.exports import backup
    from app.models import metadata

    with new_session() as session:
        chunks = backup.export_chunks(session, metadata=metadata)
        if file == "-":
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        with open(file, "w", encoding="utf-8") as handle:
            for chunk in chunks:
                handle.write(chunk)
    typer.echo(f"Export geschrieben: {file}", err=True)


@cli.command("import")
def import_platform(file: str = typer.Argument(..., help="Exportdatei (JSON)")) -> None:
    """Load a platform export into an empty platform (all or nothing)."""
    from app.db import new_session
    from app.errors import DomainError
    from app.exports import backup
    from app.models import metadata

    try:
        with open(file, "rb") as handle:
            content = handle.read()
    except OSError as exc:
        typer.echo(f"Fehler: Die Datei kann nicht gelesen werden ({exc.strerror}).", err=True)
        raise typer.Exit(2) from None
    try:
        with new_session(writer=True) as session:
            counts = backup.import_platform(session, actor=None, document=content, metadata=metadata, cli=True)
    except DomainError as exc:
        details = "; ".join(f"{field}: {message}" for field, message in exc.errors)
        typer.echo(f"Fehler: {exc.message} {details}".strip(), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Importiert: {sum(counts.values())} Zeilen in {len(counts)} Tabellen.")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
