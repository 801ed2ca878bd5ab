"""What every feature's queries share: the unit of work they run in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from store.uow import UnitOfWork


class Queries:
    """A feature's named queries, run in the session of the unit of work they belong to."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    @property
    def session(self) -> Session:
        return self._uow.session

    @property
    def connection(self) -> Connection:
        return self._uow.connection
