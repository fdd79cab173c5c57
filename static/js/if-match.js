/* The browsable API's edit and delete buttons send the version of the record the page showed
   (its ETag) in If-Match, as every write of a record must: a change someone else saved since
   is refused (412) instead of overwritten. */
(function () {
  "use strict";
  var script = document.currentScript;
  var etag = script && script.getAttribute("data-etag");
  if (!etag || !window.jQuery) return;
  window.jQuery.ajaxPrefilter(function (options, original, xhr) {
    var method = (options.type || options.method || "GET").toUpperCase();
    if (method === "PUT" || method === "PATCH" || method === "DELETE") {
      xhr.setRequestHeader("If-Match", etag);
    }
  });
})();
