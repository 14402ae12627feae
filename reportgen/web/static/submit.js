// Nộp số liệu: a file dropped on the zone (or chosen) is sent at once; the page shows it is working.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("workbook");
  var busy = document.getElementById("busy");
  if (!form || !zone || !input) { return; }

  function send() {
    if (!input.files || input.files.length === 0) { return; }
    busy.hidden = false;
    zone.classList.add("sending");
    form.submit();
  }
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.remove("over");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length > 0) {
      input.files = event.dataTransfer.files;
      send();
    }
  });
  input.addEventListener("change", send);
})();
