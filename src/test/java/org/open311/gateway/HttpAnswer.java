package org.open311.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An HTTP answer as a client sees it, with its body parsed as JSON or XML. */
public record HttpAnswer(int status, String contentType, String body, HttpResponse<String> raw) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static HttpAnswer of(HttpResponse<String> response) {
        return new HttpAnswer(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body(), response);
    }

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + body, e);
        }
    }

    public Document xml() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("Not XML: " + body, e);
        }
    }

    /** The text of every node the XPath selects, in document order. */
    public List<String> xpath(String expression) {
        try {
            NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath()
                    .evaluate(expression, xml(), XPathConstants.NODESET);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                texts.add(nodes.item(i).getTextContent());
            }
            return texts;
        } catch (Exception e) {
            throw new AssertionError("Bad XPath " + expression, e);
        }
    }

    /** The values of one field over a JSON array of objects. */
    public List<String> jsonField(String field) {
        List<String> values = new ArrayList<>();
        json().forEach(item -> values.add(item.path(field).asText()));
        return values;
    }
}
