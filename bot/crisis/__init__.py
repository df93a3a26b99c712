"""Crisis safety net: signals of danger in a message lead to emergency numbers before anything else.

rules.py (the model), text.py (how messages are read), parse.py (crisis.yaml with file:line problems),
detector.py (the check on every message), reply.py (which numbers fit), evaluation.py (recall figures).
"""
