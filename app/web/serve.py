"""uvicorn with N worker processes on one TCP socket that has TCP_NODELAY on every connection.

`uvicorn --workers N` binds its socket without a protocol number; asyncio then skips TCP_NODELAY on accepted
connections, and Nagle's algorithm meets delayed ACKs: every keep-alive response waits ~40 ms (measured:
730 instead of 7,700 requests/s for a bare app). Binding the socket with IPPROTO_TCP ourselves avoids that.
"""

import os
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess


def started_url(host: str, port: int) -> str:
    """http://host:port for links; a wildcard address (all interfaces) is given as localhost."""
    shown = "localhost" if host in ("", "0.0.0.0", "::") else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def serve(target: str = "app.main:app", *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          proxy_headers: bool = False, forwarded_allow_ips: str = "127.0.0.1", access_log: bool = True,
          log_level: str = "info") -> None:
    # Links in mails follow the address the app was started with, unless QW_BASE_URL says otherwise.
    os.environ.setdefault("QW_BASE_URL", started_url(host, port))
    from app.settings import get_settings

    get_settings.cache_clear()
    config = uvicorn.Config(target, host=host, port=port, workers=workers, proxy_headers=proxy_headers,
                            forwarded_allow_ips=forwarded_allow_ips, access_log=access_log, log_level=log_level)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(config.backlog)
    sock.set_inheritable(True)
    server = uvicorn.Server(config)
    if workers > 1:
        Multiprocess(config, sockets=[sock]).run()
    else:
        server.run(sockets=[sock])
