"""The rule engine: define (``rule``), load (``loader``), configure (``settings``), select and run
(``run``), contain failures (``failures``, ``budget``) and waive (``waivers``)."""
