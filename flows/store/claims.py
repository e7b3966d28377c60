"""Claims: at most one live process works on a document at a time, across batches and machines.

A claim names its holder (host, pid, the process's start time, so a reused pid
is not mistaken for it). On the holder's own host a claim is live while that
exact process runs; elsewhere, while its lease lasts. Taking a claim is one
transaction that also re-checks whether the work is already done.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass

import psutil
from sqlalchemy import Connection, delete, select, update

from flows.store import schema
from flows.store.upsert import insert_ignoring_conflict


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int
    process_started: float

    @classmethod
    def me(cls) -> "Holder":
        return cls(socket.gethostname(), os.getpid(), round(psutil.Process().create_time(), 2))

    def alive(self, claimed_at: float, lease_s: float) -> bool:
        if self.host != socket.gethostname():
            return time.time() < claimed_at + lease_s
        try:
            return round(psutil.Process(self.pid).create_time(), 2) == self.process_started
        except psutil.NoSuchProcess:
            return False


def take(conn: Connection, sha256: str, holder: Holder, lease_s: float) -> bool:
    """Claim the document for ``holder`` unless a live process holds it."""
    row = {"document_sha256": sha256, "host": holder.host, "pid": holder.pid,
           "process_started": holder.process_started, "claimed_at": time.time(), "lease_s": lease_s}  # fmt: skip
    if insert_ignoring_conflict(conn, schema.claims, row):
        return True
    found = conn.execute(
        select(schema.claims).where(schema.claims.c.document_sha256 == sha256).with_for_update()
    ).first()
    if found is None:  # released between our insert and our look
        return insert_ignoring_conflict(conn, schema.claims, row)
    current = Holder(found.host, found.pid, found.process_started)
    if current != holder and current.alive(found.claimed_at, found.lease_s):
        return False
    conn.execute(update(schema.claims).where(schema.claims.c.document_sha256 == sha256).values(**row))
    return True


def release(conn: Connection, sha256: str, holder: Holder) -> None:
    conn.execute(
        delete(schema.claims).where(
            schema.claims.c.document_sha256 == sha256,
            schema.claims.c.host == holder.host,
            schema.claims.c.pid == holder.pid,
        )
    )
