"""Checks of built files, shared by the tests and ``publisher check``.

One module per format (named in ``publisher.formats``), each with
``check(out_dir, document) -> list[Diagnostic]`` that opens the files the way a
real client would (EPUBCheck, pypdf, python-docx, LibreOffice, a speech
recogniser) and says what is wrong with them. Checks import neither the
writers nor the build: they judge the files, not the code that made them.
"""
