/* Freshdesk ticket-sidebar app: the agent's identity (loggedInUser) goes to Datavagt through
   the request template, which adds the installation secret on Freshdesk's servers (the
   browser never sees it). Datavagt answers with a short-lived JWT for the widget. */
"use strict";

function lang(user) {
  return user && user.contact && /^da/i.test(user.contact.language || "") ? "da" : "en";
}

async function start(client) {
  var status = document.getElementById("datavagt-status");
  try {
    var user = (await client.data.get("loggedInUser")).loggedInUser;
    var ticket = (await client.data.get("ticket")).ticket;
    var host = (await client.iparams.get("datavagt_host")).datavagt_host;
    var body = {
      agent_id: String(user.id),
      email: user.contact && user.contact.email ? user.contact.email : null,
      group_ids: (user.group_ids || []).map(String),
      ticket_id: String(ticket.id) // the token is bound to this ticket
    };
    var answer = await client.request.invokeTemplate("datavagtExchange", { body: JSON.stringify(body) });
    var token = JSON.parse(answer.response).token;
    var frame = document.getElementById("datavagt");
    var query = new URLSearchParams({ vendor: "freshdesk", ticket: String(ticket.id), lang: lang(user) });
    frame.src = "https://" + host + "/widget/?" + query.toString() + "#token=" + encodeURIComponent(token);
    frame.hidden = false;
    status.textContent = "";
  } catch (error) {
    // 401: the secret or the agent's role was refused; details stay in Datavagt's logs.
    status.textContent = "Datavagt is not available for your user (" + (error.status || "error") + ").";
  }
}

document.addEventListener("DOMContentLoaded", function () {
  app.initialized().then(function (client) {
    client.events.on("app.activated", function () { start(client); });
  });
});
