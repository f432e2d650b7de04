"""An AxonApp (any btauth/1 ``SignedApp``) on a real uvicorn server on a free loopback port."""

from __future__ import annotations

from btkit.net.axon import BackgroundServer


class RunningAxon(BackgroundServer):
    def __init__(self, app) -> None:
        super().__init__(app, "127.0.0.1", 0)
        self.app = app
        self.url = f"http://127.0.0.1:{self.port}"
