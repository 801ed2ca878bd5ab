"""Named queries, one module per feature: what use cases ask of the database, as plain
values and the ORM's objects. The unit of work holds one object of each (``uow.org``,
``uow.goals``, ...); unit tests swap in the in-memory fakes of tests/fakes/queries/."""
