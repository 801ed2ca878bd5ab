"""What every fake feature's queries share: the fake unit of work whose rows they read."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from tests.fakes.uow import FakeUnitOfWork

M = TypeVar("M")


class FakeQueries:
    """Base of the fakes: `self.uow.all(Model)` is every row of a model, in id order."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow
        self._uow = uow  # the real class's name for it (its session property then fails)

    def all(self, model: type[M]) -> list[M]:
        return self.uow.all(model)
