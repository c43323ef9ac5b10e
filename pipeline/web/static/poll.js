// Long work (a batch, an LLM draft) runs on the server; its page polls the job's status
// until it is done. One copy of the loop for both pages.
window.zjPoll = function (url, show, every) {
  "use strict";
  function once() {
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (s) {
      show(s);
      if (!s.done) setTimeout(once, every || 700);
    }).catch(function () { setTimeout(once, (every || 700) * 3); });  // a blip: try again, slower
  }
  once();
};
