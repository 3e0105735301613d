"""A dashboard session without a browser: Streamlit's own protocol over its websocket.

The browser benchmark times what a person sees, drawing included; under load its browsers take
the machine from the server they load (30 Chromium sessions used four CPU-seconds for each one of
the server's). ``Session`` speaks to the server as the browser does, and draws nothing: it asks
for a script run (``BackMsg.rerun_script`` with the widgets' values, a page's hash), reads the
elements the run sends (``ForwardMsg`` deltas) until the run says it finished, and keeps the
last run's elements to find widgets by their label or key. It is what the load benchmark's many
sessions are; a few real browsers beside them time what a person sees under the same load.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

# the element kinds that are widgets (their proto has ``id``, ``label`` and ``form_id``)
WIDGETS = (
    "button",
    "text_input",
    "text_area",
    "selectbox",
    "multiselect",
    "radio",
    "checkbox",
    "number_input",
    "file_uploader",
    "dataframe",
    "download_button",
    "date_input",
    "button_group",
    "slider",
)
_FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


@dataclass
class Drawn:
    """What one script run sent: its elements in order, and whether it ended well."""

    elements: list[Element] = field(default_factory=list)
    status: int | None = None
    took: float = 0.0

    def kind(self, element: Element) -> str:
        return str(element.WhichOneof("type"))

    def texts(self) -> list[str]:
        """The words of the run's headings, markdown, alerts and exceptions."""
        out = []
        for e in self.elements:
            k = self.kind(e)
            if k in ("markdown", "heading", "text"):
                out.append(getattr(e, k).body)
            elif k == "alert":
                out.append(e.alert.body)
            elif k == "exception":
                out.append(f"{e.exception.type}: {e.exception.message}")
        return out

    def errors(self) -> list[str]:
        """Tracebacks the run showed (a page's failure)."""
        shown = [e.exception for e in self.elements if self.kind(e) == "exception"]
        return [f"{e.type}: {e.message} (at {' < '.join(reversed(e.stack_trace[-3:]))})" for e in shown]

    def widget(self, label: str | None = None, key: str | None = None, kind: str | None = None) -> Any:
        """The last widget with that label (or whose id ends with the user key), or None."""
        for e in reversed(self.elements):
            k = self.kind(e)
            if k not in WIDGETS or (kind is not None and k != kind):
                continue
            w = getattr(e, k)
            if (label is not None and getattr(w, "label", None) == label) or (
                key is not None and str(w.id).endswith(f"-{key}")
            ):
                return w
        return None


class Session:
    """One browser tab's conversation with the server, without the tab."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.ws: ClientConnection | None = None
        self.pages: dict[str, str] = {}  # url path → page script hash
        self.page_hash = ""

    async def open(self, path: str = "") -> Drawn:
        """Connect (a new server session, as a new tab is) and run the page at ``path``."""
        await self.close()
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await connect(
            ws_url,
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(self.url),  # the server refuses another site's page
            max_size=2**26,
        )
        return await self.run(path=path)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def run(
        self, states: list[WidgetState] | None = None, path: str | None = None, timeout: float = 180.0
    ) -> Drawn:
        """One script run: the widgets' values (``states``) sent as the browser sends them, on
        the page at ``path`` (by default the page the session is on); returns what it drew."""
        assert self.ws is not None
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = ""
        if path is not None and path in self.pages:
            rerun.page_script_hash = self.pages[path]
        elif path is not None:
            rerun.page_name = path
        else:
            rerun.page_script_hash = self.page_hash
        rerun.widget_states.widgets.extend(states or [])
        rerun.context_info.timezone = "Asia/Shanghai"
        rerun.context_info.locale = "zh-CN"
        rerun.context_info.url = f"{self.url}/{path or ''}"
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        drawn = Drawn()
        async with asyncio.timeout(timeout):
            while drawn.status is None:
                fwd = ForwardMsg()
                fwd.ParseFromString(await self.ws.recv())
                self._read(fwd, drawn)
        drawn.took = time.perf_counter() - started
        if drawn.status not in _FINISHED_OK:
            drawn.elements.append(_failed(drawn.status))
        return drawn

    def _read(self, fwd: ForwardMsg, drawn: Drawn) -> None:
        kind = fwd.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = fwd.new_session.page_script_hash or self.page_hash
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            self.page_hash = fwd.navigation.page_script_hash or self.page_hash
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            drawn.elements.append(fwd.delta.new_element)
        elif kind == "script_finished":
            if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # st.rerun: the next run
                drawn.elements.clear()  # follows and draws the page again
            else:
                drawn.status = fwd.script_finished
        elif kind == "ref_hash":  # a cached message the client never said it had: cannot happen
            raise RuntimeError("the server sent a cached message by reference")


def _failed(status: int | None) -> Element:
    e = Element()
    e.exception.type = "ScriptRun"
    e.exception.message = f"the run ended with status {status}"
    return e


def value(widget: Any, **kind: Any) -> WidgetState:
    """A widget's state: ``value(w, string_value="x")``, ``value(w, trigger_value=True)``."""
    state = WidgetState(id=widget.id)
    for name, v in kind.items():
        setattr(state, name, v)
    return state


async def sign_in(session: Session, name: str, password: str, user: str, secret: str, submit: str) -> Drawn:
    """Open a new session and sign in through the form (its labels passed in, as the page says)."""
    first = await session.open()
    if (u := first.widget(user)) is None or (p := first.widget(secret)) is None:
        raise RuntimeError(f"no sign-in form: {first.texts()[:3]}")
    button = first.widget(submit, kind="button")
    return await session.run(
        [value(u, string_value=name), value(p, string_value=password), value(button, trigger_value=True)]
    )
