// The upload page: a file over the limit is refused here, before it is sent (the server refuses
// it too, from its Content-Length). Optional: without JavaScript the form posts as it is.
(function () {
  var form = document.querySelector("form.upload[data-limit]");
  if (!form) return;
  var limit = Number(form.getAttribute("data-limit"));
  var input = form.querySelector("input[type=file]");
  var problem = form.querySelector(".client-problem");
  function check() {
    var file = input.files && input.files[0];
    var tooBig = file && limit > 0 && file.size > limit;
    problem.hidden = !tooBig;
    problem.textContent = tooBig ? "파일이 너무 큽니다 · The file is larger than " + Math.round(limit / 1e6) + " MB" : "";
    return !tooBig;
  }
  input.addEventListener("change", check);
  form.addEventListener("submit", function (event) { if (!check()) event.preventDefault(); });
})();
