"""One module a command of ``gdtutor``; each gives its click command, which hands typed values to the
layers below (the engine's :class:`~gdtutor.engine.params.Setup`, the serve layer's options, ...)."""
