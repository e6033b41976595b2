// Live pages: the server says "changed" over server-sent events when anything visible
// moves; the parts of the page marked hx-trigger="changed from:body" fetch themselves
// again. Deadlines count down between updates. No inline script: the page's CSP forbids it.
(function () {
  "use strict";
  var body = document.body;

  function listen() {
    var source = new EventSource("/events");
    source.addEventListener("changed", function (event) {
      if (event.data !== body.dataset.version) {
        body.dataset.version = event.data;
        htmx.trigger(body, "changed");
      }
    });
  }

  function countDown() {
    var clocks = document.querySelectorAll("[data-seconds-left]");
    for (var i = 0; i < clocks.length; i++) {
      var left = parseInt(clocks[i].dataset.secondsLeft, 10) - 1;
      if (isNaN(left)) { continue; }
      clocks[i].dataset.secondsLeft = String(left);
      var minutes = Math.floor(left / 60), seconds = left % 60;
      clocks[i].textContent = left <= 0 ? "closing"
        : (minutes ? minutes + " min " + seconds + " s left" : seconds + " s left");
    }
  }

  listen();
  setInterval(countDown, 1000);
})();
