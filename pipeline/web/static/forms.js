// Long work (an LLM draft) shows that it is under way.
document.querySelectorAll("form").forEach(function (f) {
  f.addEventListener("submit", function () {
    var b = f.querySelector(".busy");
    if (b) b.hidden = false;
    f.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
  });
});
