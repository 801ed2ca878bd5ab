"""In-memory fakes of store/queries/, one module per feature, over a FakeUnitOfWork."""
