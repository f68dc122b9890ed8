package org.open311.gateway.console;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.core.HTMLOutputFormat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The console's HTML: FreeMarker templates from the jar ({@code console/templates/*.ftlh}), whose
 * {@code .ftlh} names make FreeMarker escape every value for HTML unless a template says otherwise, and
 * the texts in English and Finnish ({@code console/messages*.properties}). A template that uses a
 * missing value fails (no half page).
 */
public final class ConsolePages {

    /** The console's languages: English first (the default). */
    public static final List<String> LANGUAGES = List.of("en", "fi");

    private final Configuration templates;
    private final Map<String, Map<String, String>> texts = new HashMap<>();

    public ConsolePages() {
        templates = new Configuration(Configuration.VERSION_2_3_34);
        templates.setClassForTemplateLoading(ConsolePages.class, "/console/templates");
        templates.setDefaultEncoding("UTF-8");
        templates.setOutputEncoding("UTF-8");
        templates.setURLEscapingCharset("UTF-8");
        templates.setOutputFormat(HTMLOutputFormat.INSTANCE);
        templates.setRecognizeStandardFileExtensions(true);
        templates.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        templates.setLogTemplateExceptions(false);
        templates.setWrapUncheckedExceptions(true);
        templates.setFallbackOnNullLoopVariable(false);
        templates.setLocale(Locale.ROOT);
        templates.setNumberFormat("computer");
        for (String language : LANGUAGES) {
            ResourceBundle bundle = ResourceBundle.getBundle("console.messages", Locale.forLanguageTag(language),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            Map<String, String> map = new HashMap<>();
            bundle.keySet().forEach(key -> map.put(key, bundle.getString(key)));
            texts.put(language, Map.copyOf(map));
        }
    }

    /** A supported language, or English. */
    public static String language(String wanted) {
        String code = wanted == null ? "" : wanted.trim().toLowerCase(Locale.ROOT);
        return LANGUAGES.contains(code) ? code : "en";
    }

    /** The text of a message key in a language (the key itself if it has none). */
    public String text(String language, String key) {
        return texts.get(language(language)).getOrDefault(key, key);
    }

    /** The page of {@code template} ({@code name.ftlh}) with the model, and {@code t}: the language's texts. */
    public String render(String template, String language, Map<String, Object> model) {
        Map<String, Object> all = new HashMap<>(model);
        all.put("t", texts.get(language(language)));
        all.put("lang", language(language));
        try {
            Template page = templates.getTemplate(template + ".ftlh");
            StringWriter out = new StringWriter();
            page.process(all, out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TemplateException e) {
            throw new IllegalStateException("Console template " + template + " failed: " + e.getMessageWithoutStackTop(), e);
        }
    }
}
