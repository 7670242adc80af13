// HubSpot UI-extension card: hubspot.fetch signs the request (signature v3) and appends
// userId, userEmail and portalId; Datavagt verifies that and answers with a short-lived JWT.
// The widget then opens in an iframe modal with the token in the URL fragment.
import { useState } from "react";
import { Button, Flex, Text, hubspot } from "@hubspot/ui-extensions";

const DATAVAGT = "{{DATAVAGT_PUBLIC_URL}}"; // filled in by static/embed/build.py

hubspot.extend(({ context, actions }) => <DatavagtCard context={context} actions={actions} />);

const DatavagtCard = ({ context, actions }) => {
  const [message, setMessage] = useState("");
  const ticketId = String(context.crm.objectId);
  const lang = /^da/i.test(context.user.locale || "") ? "da" : "en";

  const open = async () => {
    setMessage("");
    try {
      const response = await hubspot.fetch(`${DATAVAGT}/auth/exchange/hubspot`, {
        method: "POST",
        body: { ticketId },
      });
      if (!response.ok) {
        setMessage(lang === "da" ? "Datavagt afviste dit login." : "Datavagt refused the sign-in.");
        return;
      }
      const { token } = await response.json();
      const query = new URLSearchParams({ vendor: "hubspot", ticket: ticketId, lang });
      actions.openIframeModal({
        uri: `${DATAVAGT}/widget/?${query.toString()}#token=${encodeURIComponent(token)}`,
        title: "Datavagt",
        width: 480,
        height: 800,
      });
    } catch {
      setMessage(lang === "da" ? "Datavagt svarer ikke." : "Datavagt is not reachable.");
    }
  };

  return (
    <Flex direction="column" gap="small">
      <Text>
        {lang === "da"
          ? "Personoplysninger i sagen, maskeret efter din rolle."
          : "Personal data in this ticket, masked by your role."}
      </Text>
      <Button onClick={open}>{lang === "da" ? "Åbn Datavagt" : "Open Datavagt"}</Button>
      {message && <Text variant="microcopy">{message}</Text>}
    </Flex>
  );
};
