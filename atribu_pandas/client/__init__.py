"""Stage 1, the request: one GET to the API, from the cache when it can, else over HTTP.

- :mod:`.client`: :class:`Client` (the key, the options, the cache, the rate budget);
- :mod:`.envelope`: an answer's body as ``data`` and ``meta``, checked against its request;
- :mod:`.transport`: the session, urllib3's ``Retry``, per-attempt deadlines, size caps;
- :mod:`.ratelimit`: each key's rate budget, shared by every process;
- :mod:`.cache`: one requests-cache file per key and how long answers stay fresh;
- :mod:`.http_errors`: HTTP statuses and transport faults as ``exceptions``;
- :mod:`.payload`: JSON parsing with its limits (repeated keys, depth, big integers);
- :mod:`.cancellation`: Ctrl-C reaching every worker of a load.

``atribu_pandas.client.Client`` is the public path of the client.
"""

from atribu_pandas.client.client import Client
from atribu_pandas.client.envelope import ApiResponse
from atribu_pandas.client.http_errors import (
    error_from_exception,
    error_from_response,
    parse_retry_after,
)

__all__ = [
    "ApiResponse",
    "Client",
    "error_from_exception",
    "error_from_response",
    "parse_retry_after",
]
