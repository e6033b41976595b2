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

  // Deadlines come in UTC; each browser shows them in its own time too.
  function localTimes(root) {
    var times = root.querySelectorAll("time[data-epoch]");
    for (var i = 0; i < times.length; i++) {
      var at = new Date(parseFloat(times[i].dataset.epoch) * 1000);
      if (isNaN(at.getTime())) { continue; }
      times[i].textContent = at.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
      times[i].title = times[i].dateTime;
    }
  }

  listen();
  htmx.onLoad(localTimes);
  setInterval(countDown, 1000);
})();
