"""Emergency-response drills as pure domain logic: the drill record, its clock, release rules and scoring.

Nothing here touches SQL or a UI; the use cases in ``gradesec.usecases.drills`` turn signed events into a
``DrillRecord`` and back.
"""
