"""Offline stand-ins for an OpenAI-compatible endpoint, shipped with the package so that an
installed copy can run its own default eval suite (the scripted 忠实/编造/顽固 variants)
and tests need no sys.path tricks.

    scripted_server   ScriptedServer: chat completions, faults, /v1/models, files, batches
    replies           Reply (one scripted answer or fault) and the payloads built from it
    scripted_http     the stdlib HTTP handler that serves them
    scripted_batches  the Files and Batch API

Standard library only: nothing here imports the rest of zongjie.
"""
