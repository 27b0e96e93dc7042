/* test-attribute-value.c: bough_attribute_validate_value() for every
 * attribute kind, with valid and invalid values.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-attribute-value"

#include "config.h"

#include <string.h>

#include <glib.h>

#include "bough-error.h"
#include "schema/bough-schema.h"

static const char schema_text[] =
  "nodes:\n"
  "  - name: Sample\n"
  "    namespace: Test\n"
  "    attributes:\n"
  "      - {name: text, kind: Text, regex: '^[a-z]+$', min_length: 2, max_length: 5}\n"
  "      - {name: text_params, kind: Text, parameters: {regex: '^x', min_length: 2, max_length: 3}}\n"
  "      - {name: area, kind: TextArea}\n"
  "      - {name: secret, kind: Password}\n"
  "      - {name: hashed, kind: HashedPassword}\n"
  "      - {name: file, kind: File}\n"
  "      - {name: ident, kind: ID}\n"
  "      - {name: when, kind: DateTime}\n"
  "      - {name: email, kind: Email}\n"
  "      - {name: url, kind: URL}\n"
  "      - {name: mac, kind: MacAddress}\n"
  "      - {name: color, kind: Color}\n"
  "      - {name: number, kind: Number, parameters: {min_value: 10, max_value: 1000, excluded_values: '100,150-200'}}\n"
  "      - {name: pool, kind: NumberPool}\n"
  "      - {name: speed, kind: Bandwidth}\n"
  "      - {name: host, kind: IPHost}\n"
  "      - {name: network, kind: IPNetwork}\n"
  "      - {name: flag, kind: Boolean}\n"
  "      - {name: check, kind: Checkbox}\n"
  "      - name: status\n"
  "        kind: Dropdown\n"
  "        choices: [{name: active}, {name: retired}]\n"
  "      - {name: tags, kind: List, regex: '^[a-z]+$'}\n"
  "      - {name: data, kind: JSON}\n"
  "      - {name: anything, kind: Any}\n"
  "      - {name: level, kind: Text, enum: [low, high]}\n"
  "      - {name: size, kind: Number, enum: [1, 2, 3]}\n";

static BoughSchema *schema;

static BoughAttributeSchema *
attr (const char *name)
{
  BoughAttributeSchema *a = bough_node_schema_get_attribute (bough_schema_lookup (schema,
                                                                                  "TestSample"), name);

  g_assert_nonnull (a);
  return a;
}

static void
check (const char *name,
       const char *json,
       gboolean    valid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = json_from_string (json, &error);
  gboolean ok;

  g_assert_no_error (error);
  ok = bough_attribute_validate_value (attr (name), value, &error);
  if (valid)
    {
      if (!ok)
        g_error ("%s: %s should be valid: %s", name, json, error->message);
    }
  else
    {
      g_autofree char *quoted = g_strdup_printf ("'%s'", name);
      g_autofree char *shown = json_to_string (value, FALSE);

      if (ok)
        g_error ("%s: %s should be invalid", name, json);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
      /* The message names the attribute and shows the value. */
      g_assert_nonnull (strstr (error->message, quoted));
      g_assert_nonnull (strstr (error->message, shown));
    }
}

static void
test_text_kinds (void)
{
  check ("text", "\"abc\"", TRUE);
  check ("text", "\"a\"", FALSE);        /* min_length */
  check ("text", "\"abcdef\"", FALSE);   /* max_length */
  check ("text", "\"ab1\"", FALSE);      /* regex */
  check ("text", "12", FALSE);           /* type */
  check ("text_params", "\"xy\"", TRUE);
  check ("text_params", "\"yy\"", FALSE);
  check ("text_params", "\"xyzw\"", FALSE);
  check ("area", "\"many\\nlines\"", TRUE);
  check ("area", "true", FALSE);
  check ("secret", "\"s3cr3t\"", TRUE);
  check ("secret", "[]", FALSE);
  check ("hashed", "\"$2b$12$abc\"", TRUE);
  check ("hashed", "{}", FALSE);
  check ("file", "\"report.pdf\"", TRUE);
  check ("file", "1.5", FALSE);
  check ("ident", "\"a1b2\"", TRUE);
  check ("ident", "7", FALSE);
  check ("level", "\"low\"", TRUE);
  check ("level", "\"medium\"", FALSE);
}

static void
test_datetime (void)
{
  check ("when", "\"2024-03-01T10:20:30Z\"", TRUE);
  check ("when", "\"2024-03-01T10:20:30.123456+02:00\"", TRUE);
  check ("when", "\"2024-03-01\"", TRUE);
  check ("when", "\"2024-13-01T00:00:00Z\"", FALSE);
  check ("when", "\"yesterday\"", FALSE);
  check ("when", "1700000000", FALSE);
}

static void
test_email_url (void)
{
  check ("email", "\"ops@example.com\"", TRUE);
  check ("email", "\"first.last+tag@sub.example.org\"", TRUE);
  check ("email", "\"ops@example\"", FALSE);
  check ("email", "\"no at sign\"", FALSE);
  check ("email", "\"a@b@c.com\"", FALSE);
  check ("url", "\"https://example.com/path?q=1\"", TRUE);
  check ("url", "\"ssh://git@github.com/org/repo.git\"", TRUE);
  check ("url", "\"example.com\"", FALSE);
  check ("url", "\"http://\"", FALSE);
}

static void
test_mac_color (void)
{
  check ("mac", "\"00:1a:2b:3c:4d:5e\"", TRUE);
  check ("mac", "\"00-1A-2B-3C-4D-5E\"", TRUE);
  check ("mac", "\"001a.2b3c.4d5e\"", TRUE);
  check ("mac", "\"001a2b3c4d5e\"", TRUE);
  check ("mac", "\"00:1a:2b:3c:4d:5e:6f:70\"", TRUE);
  check ("mac", "\"00:1a:2b:3c:4d\"", FALSE);
  check ("mac", "\"00:1a:2b-3c:4d:5e\"", FALSE);
  check ("mac", "\"zz:1a:2b:3c:4d:5e\"", FALSE);
  check ("color", "\"#a1B2c3\"", TRUE);
  check ("color", "\"#a1b2c\"", FALSE);
  check ("color", "\"red\"", FALSE);
}

static void
test_numbers (void)
{
  check ("number", "10", TRUE);
  check ("number", "1000", TRUE);
  check ("number", "9", FALSE);          /* min_value */
  check ("number", "1001", FALSE);       /* max_value */
  check ("number", "100", FALSE);        /* excluded */
  check ("number", "175", FALSE);        /* excluded range */
  check ("number", "201", TRUE);
  check ("number", "12.5", FALSE);
  check ("number", "\"12\"", FALSE);
  check ("pool", "5", TRUE);
  check ("pool", "\"5\"", FALSE);
  check ("speed", "1000000", TRUE);
  check ("speed", "1.5", FALSE);
  check ("size", "2", TRUE);
  check ("size", "4", FALSE);
}

static void
test_ip (void)
{
  check ("host", "\"192.0.2.1\"", TRUE);
  check ("host", "\"192.0.2.1/24\"", TRUE);
  check ("host", "\"2001:db8::1/64\"", TRUE);
  check ("host", "\"2001:db8::1\"", TRUE);
  check ("host", "\"192.0.2.300\"", FALSE);
  check ("host", "\"192.0.2.1/33\"", FALSE);
  check ("host", "\"2001:db8::1/129\"", FALSE);
  check ("host", "\"host.example.com\"", FALSE);
  check ("host", "\"192.0.2.1/\"", FALSE);
  check ("network", "\"192.0.2.0/24\"", TRUE);
  check ("network", "\"10.0.0.0/8\"", TRUE);
  check ("network", "\"2001:db8::/32\"", TRUE);
  check ("network", "\"192.0.2.1/32\"", TRUE);
  check ("network", "\"192.0.2.1/24\"", FALSE);   /* host bits set */
  check ("network", "\"2001:db8::1/64\"", FALSE);
  check ("network", "\"10.0.0.0/40\"", FALSE);
  check ("network", "42", FALSE);
}

static void
test_bool_dropdown_list_json (void)
{
  check ("flag", "true", TRUE);
  check ("flag", "false", TRUE);
  check ("flag", "\"true\"", FALSE);
  check ("flag", "1", FALSE);
  check ("check", "true", TRUE);
  check ("check", "\"on\"", FALSE);
  check ("status", "\"active\"", TRUE);
  check ("status", "\"retired\"", TRUE);
  check ("status", "\"unknown\"", FALSE);
  check ("status", "1", FALSE);
  check ("tags", "[\"a\", \"bc\"]", TRUE);
  check ("tags", "[]", TRUE);
  check ("tags", "[\"a\", \"B\"]", FALSE);
  check ("tags", "\"a\"", FALSE);
  check ("data", "{\"a\": [1, 2]}", TRUE);
  check ("data", "[1, 2]", TRUE);
  check ("data", "\"text\"", TRUE);
  check ("anything", "3.5", TRUE);
  check ("anything", "{\"x\": null}", TRUE);
}

static void
test_long_value_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_text = g_strnfill (500, 'q');
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), long_text);

  g_assert_false (bough_attribute_validate_value (attr ("text"), value, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
  /* Long values are shortened in the message. */
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_assert_nonnull (strstr (error->message, "..."));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  builder = bough_schema_builder_new (NULL);
  bough_schema_builder_add_data (builder, schema_text, -1, "sample.yml", &error);
  g_assert_no_error (error);
  schema = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);

  g_test_add_func ("/attribute-value/text-kinds", test_text_kinds);
  g_test_add_func ("/attribute-value/datetime", test_datetime);
  g_test_add_func ("/attribute-value/email-url", test_email_url);
  g_test_add_func ("/attribute-value/mac-color", test_mac_color);
  g_test_add_func ("/attribute-value/numbers", test_numbers);
  g_test_add_func ("/attribute-value/ip", test_ip);
  g_test_add_func ("/attribute-value/bool-dropdown-list-json", test_bool_dropdown_list_json);
  g_test_add_func ("/attribute-value/long-value-message", test_long_value_message);

  ret = g_test_run ();
  bough_schema_unref (schema);
  return ret;
}
