"""The desktop app: Qt widgets that present the domain (``inspector``) and forward edits to it.

Nothing here decides a verdict, reads a list or writes SQL: the widgets take domain objects in
their constructors, show them, and call the domain when the inspector acts. Start with
:func:`ui.app.run`.
"""
