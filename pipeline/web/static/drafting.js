// The LLM draft's page: each part as it is finished, then the review page (text only).
(function () {
  "use strict";
  var box = document.getElementById("drafting"), id = box.dataset.id;
  var msg = document.getElementById("progress"), bar = document.getElementById("bar");
  var steps = document.getElementById("steps"), secs = document.getElementById("seconds");
  zjPoll("/api/draft/" + id, function (s) {
    msg.textContent = s.message;
    msg.className = s.error ? "failed" : "";
    bar.max = s.parts || 1;
    bar.value = s.parts ? s.parts_done : 0;
    secs.textContent = "已用时 " + s.seconds + " 秒";
    steps.replaceChildren();
    s.steps.forEach(function (t) { var li = document.createElement("li"); li.textContent = t; steps.appendChild(li); });
    if (s.review) window.location.replace(s.review);
  }, 400);
})();
