"""Pure text tools for checks, composer and inbox: plain values in, plain values out.

Nothing here touches the ORM, the database or the network, so every function can run in a
request, a background task or a test without set-up.
"""
