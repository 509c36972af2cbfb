"""The rule engine: define (``rule``), load (``loader``), configure (``settings``), set a run up
(``setup``: rules loaded and chosen, configuration validated, templates read), run (``run``),
contain failures (``failures``, ``budget``) and waive (``waivers``)."""
