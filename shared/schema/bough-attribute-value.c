/* bough-attribute-value.c: checks one attribute value against its schema
 * (type per attribute kind, regex, lengths, enum, choices, number bounds).
 * The store calls it on every write; the builder on default values.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-schema"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "bough-error.h"
#include "bough-schema-private.h"

static gboolean
is_string (JsonNode *value)
{
  return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING;
}

static gboolean
is_integer (JsonNode *value)
{
  return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64;
}

static gboolean
is_boolean (JsonNode *value)
{
  return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN;
}

static gboolean
check_datetime (const char *s)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  dt = g_date_time_new_from_iso8601 (s, utc);
  if (dt != NULL)
    return TRUE;
  /* A plain date (YYYY-MM-DD) is a valid ISO 8601 value too. */
  if (strlen (s) == 10 && s[4] == '-' && s[7] == '-')
    {
      g_autofree char *full = g_strconcat (s, "T00:00:00Z", NULL);
      g_autoptr(GDateTime) d = g_date_time_new_from_iso8601 (full, utc);

      return d != NULL;
    }
  return FALSE;
}

static gboolean
check_email (const char *s)
{
  const char *at = strchr (s, '@');
  const char *dot;

  if (at == NULL || at == s || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

static gboolean
check_url (const char *s)
{
  g_autoptr(GUri) uri = g_uri_parse (s, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  if (scheme == NULL)
    return FALSE;
  /* Web and file-like schemes need a host; others (mailto:, urn:) do not. */
  if ((g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0 ||
       g_ascii_strcasecmp (scheme, "ftp") == 0 || g_ascii_strcasecmp (scheme, "ssh") == 0) &&
      (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'))
    return FALSE;
  return TRUE;
}

static gboolean
check_mac (const char *s)
{
  gsize len = strlen (s);

  /* aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff, aabbccddeeff; 48 or 64 bits */
  if (len == 17 || len == 23)
    {
      char sep = s[2];

      if (sep != ':' && sep != '-')
        return FALSE;
      for (gsize i = 0; i < len; i++)
        {
          if (i % 3 == 2)
            {
              if (s[i] != sep)
                return FALSE;
            }
          else if (!g_ascii_isxdigit (s[i]))
            return FALSE;
        }
      return TRUE;
    }
  if (len == 14 || len == 19)
    {
      for (gsize i = 0; i < len; i++)
        {
          if (i % 5 == 4)
            {
              if (s[i] != '.')
                return FALSE;
            }
          else if (!g_ascii_isxdigit (s[i]))
            return FALSE;
        }
      return TRUE;
    }
  if (len == 12 || len == 16)
    {
      for (gsize i = 0; i < len; i++)
        if (!g_ascii_isxdigit (s[i]))
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

static gboolean
check_color (const char *s)
{
  if (strlen (s) != 7 || s[0] != '#')
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Parses "address[/prefix]". Returns the address and prefix (-1 if absent). */
static GInetAddress *
parse_ip (const char *s,
          gint       *prefix)
{
  g_autofree char *addr = NULL;
  const char *slash = strchr (s, '/');
  GInetAddress *inet;

  *prefix = -1;
  if (slash != NULL)
    {
      const char *p = slash + 1;
      guint64 v;

      if (*p == '\0' || strlen (p) > 3)
        return NULL;
      for (const char *q = p; *q; q++)
        if (!g_ascii_isdigit (*q))
          return NULL;
      v = g_ascii_strtoull (p, NULL, 10);
      addr = g_strndup (s, slash - s);
      *prefix = (gint) v;
    }
  else
    addr = g_strdup (s);

  /* GInetAddress accepts scope ids and other forms; keep to plain addresses. */
  if (strchr (addr, '%') != NULL || *addr == '\0')
    return NULL;
  inet = g_inet_address_new_from_string (addr);
  if (inet == NULL)
    return NULL;
  if (*prefix > (gint) (g_inet_address_get_native_size (inet) * 8))
    {
      g_object_unref (inet);
      return NULL;
    }
  return inet;
}

static gboolean
host_bits_zero (GInetAddress *inet,
                gint          prefix)
{
  const guint8 *bytes = g_inet_address_to_bytes (inet);
  gsize size = g_inet_address_get_native_size (inet);

  for (gsize i = 0; i < size; i++)
    {
      gint bit_start = (gint) i * 8;
      guint8 mask;

      if (bit_start + 8 <= prefix)
        continue;
      if (bit_start >= prefix)
        mask = 0xff;
      else
        mask = (guint8) (0xff >> (prefix - bit_start));
      if (bytes[i] & mask)
        return FALSE;
    }
  return TRUE;
}

/* "100,150-200" */
static gboolean
number_excluded (const char *spec,
                 gint64      value,
                 gboolean   *valid_spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);

  *valid_spec = TRUE;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      const char *dash = strchr (part + (part[0] == '-' ? 1 : 0), '-');
      gint64 lo, hi;

      if (*part == '\0')
        continue;
      if (dash != NULL)
        {
          g_autofree char *a = g_strndup (part, dash - part);

          if (!g_ascii_string_to_signed (a, 10, G_MININT64, G_MAXINT64, &lo, NULL) ||
              !g_ascii_string_to_signed (dash + 1, 10, G_MININT64, G_MAXINT64, &hi, NULL))
            {
              *valid_spec = FALSE;
              return FALSE;
            }
        }
      else
        {
          if (!g_ascii_string_to_signed (part, 10, G_MININT64, G_MAXINT64, &lo, NULL))
            {
              *valid_spec = FALSE;
              return FALSE;
            }
          hi = lo;
        }
      if (value >= lo && value <= hi)
        return TRUE;
    }
  return FALSE;
}

static gboolean
param_int (JsonObject *params,
           const char *name,
           gint64     *out)
{
  JsonNode *node;

  if (params == NULL || !json_object_has_member (params, name))
    return FALSE;
  node = json_object_get_member (params, name);
  if (!is_integer (node))
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
check_text_constraints (BoughAttributeSchema  *attr,
                        const char            *text,
                        char                 **problem)
{
  gint64 min_length = attr->min_length;
  gint64 max_length = attr->max_length;
  glong len;

  param_int (attr->parameters, "min_length", &min_length);
  param_int (attr->parameters, "max_length", &max_length);

  len = g_utf8_strlen (text, -1);
  if (min_length >= 0 && len < min_length)
    {
      *problem = g_strdup_printf ("is shorter than %" G_GINT64_FORMAT " characters", min_length);
      return FALSE;
    }
  if (max_length >= 0 && len > max_length)
    {
      *problem = g_strdup_printf ("is longer than %" G_GINT64_FORMAT " characters", max_length);
      return FALSE;
    }
  if (attr->compiled_regex != NULL && !g_regex_match (attr->compiled_regex, text, 0, NULL))
    {
      *problem = g_strdup_printf ("does not match the regex '%s'", g_regex_get_pattern (attr->compiled_regex));
      return FALSE;
    }
  return TRUE;
}

/* Checks @value; on failure sets @problem to a phrase that completes
 * "value X ..." (no attribute name). */
gboolean
_bough_attribute_check_value (BoughAttributeSchema  *attr,
                              JsonNode              *value,
                              char                 **problem)
{
  const char *text = NULL;

  g_assert (attr != NULL);
  g_assert (value != NULL);
  g_assert (problem != NULL);

  *problem = NULL;

  if (JSON_NODE_HOLDS_NULL (value))
    {
      *problem = g_strdup ("is null");
      return FALSE;
    }

  switch (attr->kind)
    {
    case BOUGH_ATTRIBUTE_KIND_ID:
    case BOUGH_ATTRIBUTE_KIND_TEXT:
    case BOUGH_ATTRIBUTE_KIND_TEXT_AREA:
    case BOUGH_ATTRIBUTE_KIND_PASSWORD:
    case BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD:
    case BOUGH_ATTRIBUTE_KIND_FILE:
    case BOUGH_ATTRIBUTE_KIND_DATE_TIME:
    case BOUGH_ATTRIBUTE_KIND_EMAIL:
    case BOUGH_ATTRIBUTE_KIND_URL:
    case BOUGH_ATTRIBUTE_KIND_MAC_ADDRESS:
    case BOUGH_ATTRIBUTE_KIND_COLOR:
    case BOUGH_ATTRIBUTE_KIND_IP_HOST:
    case BOUGH_ATTRIBUTE_KIND_IP_NETWORK:
    case BOUGH_ATTRIBUTE_KIND_DROPDOWN:
      if (!is_string (value))
        {
          *problem = g_strdup ("is not a string");
          return FALSE;
        }
      text = json_node_get_string (value);
      break;

    case BOUGH_ATTRIBUTE_KIND_NUMBER:
    case BOUGH_ATTRIBUTE_KIND_NUMBER_POOL:
    case BOUGH_ATTRIBUTE_KIND_BANDWIDTH:
      if (!is_integer (value))
        {
          *problem = g_strdup ("is not an integer");
          return FALSE;
        }
      break;

    case BOUGH_ATTRIBUTE_KIND_BOOLEAN:
    case BOUGH_ATTRIBUTE_KIND_CHECKBOX:
      if (!is_boolean (value))
        {
          *problem = g_strdup ("is not a boolean");
          return FALSE;
        }
      break;

    case BOUGH_ATTRIBUTE_KIND_LIST:
      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          *problem = g_strdup ("is not a list");
          return FALSE;
        }
      break;

    case BOUGH_ATTRIBUTE_KIND_JSON:
    case BOUGH_ATTRIBUTE_KIND_ANY:
    default:
      break;
    }

  switch (attr->kind)
    {
    case BOUGH_ATTRIBUTE_KIND_DATE_TIME:
      if (!check_datetime (text))
        {
          *problem = g_strdup ("is not an ISO 8601 date and time");
          return FALSE;
        }
      break;

    case BOUGH_ATTRIBUTE_KIND_EMAIL:
      if (!check_email (text))
        {
          *problem = g_strdup ("is not an email address");
          return FALSE;
        }
      break;

    case BOUGH_ATTRIBUTE_KIND_URL:
      if (!check_url (text))
        {
          *problem = g_strdup ("is not a URL");
          return FALSE;
        }
      break;

    case BOUGH_ATTRIBUTE_KIND_MAC_ADDRESS:
      if (!check_mac (text))
        {
          *problem = g_strdup ("is not a MAC address");
          return FALSE;
        }
      break;

    case BOUGH_ATTRIBUTE_KIND_COLOR:
      if (!check_color (text))
        {
          *problem = g_strdup ("is not a color (#rrggbb)");
          return FALSE;
        }
      break;

    case BOUGH_ATTRIBUTE_KIND_IP_HOST:
      {
        gint prefix;
        g_autoptr(GInetAddress) inet = parse_ip (text, &prefix);

        if (inet == NULL)
          {
            *problem = g_strdup ("is not an IP address (with an optional prefix length)");
            return FALSE;
          }
      }
      break;

    case BOUGH_ATTRIBUTE_KIND_IP_NETWORK:
      {
        gint prefix;
        g_autoptr(GInetAddress) inet = parse_ip (text, &prefix);

        if (inet == NULL)
          {
            *problem = g_strdup ("is not an IP network");
            return FALSE;
          }
        if (prefix < 0)
          prefix = (gint) g_inet_address_get_native_size (inet) * 8;
        if (!host_bits_zero (inet, prefix))
          {
            *problem = g_strdup ("is not an IP network (host bits are set)");
            return FALSE;
          }
      }
      break;

    case BOUGH_ATTRIBUTE_KIND_DROPDOWN:
      {
        gboolean found = FALSE;

        for (guint i = 0; attr->choices != NULL && i < attr->choices->len; i++)
          {
            BoughDropdownChoice *choice = g_ptr_array_index (attr->choices, i);

            if (g_strcmp0 (choice->name, text) == 0)
              found = TRUE;
          }
        if (!found)
          {
            *problem = g_strdup ("is not one of the choices");
            return FALSE;
          }
      }
      break;

    case BOUGH_ATTRIBUTE_KIND_NUMBER:
    case BOUGH_ATTRIBUTE_KIND_BANDWIDTH:
      {
        gint64 v = json_node_get_int (value);
        gint64 bound;

        if (param_int (attr->parameters, "min_value", &bound) && v < bound)
          {
            *problem = g_strdup_printf ("is less than the minimum %" G_GINT64_FORMAT, bound);
            return FALSE;
          }
        if (param_int (attr->parameters, "max_value", &bound) && v > bound)
          {
            *problem = g_strdup_printf ("is greater than the maximum %" G_GINT64_FORMAT, bound);
            return FALSE;
          }
        if (attr->parameters != NULL &&
            json_object_has_member (attr->parameters, "excluded_values"))
          {
            JsonNode *ex = json_object_get_member (attr->parameters, "excluded_values");
            gboolean valid_spec;

            if (is_string (ex) && number_excluded (json_node_get_string (ex), v, &valid_spec))
              {
                *problem = g_strdup_printf ("is excluded (%s)", json_node_get_string (ex));
                return FALSE;
              }
          }
      }
      break;

    case BOUGH_ATTRIBUTE_KIND_LIST:
      if (attr->compiled_regex != NULL)
        {
          JsonArray *arr = json_node_get_array (value);

          for (guint i = 0; i < json_array_get_length (arr); i++)
            {
              JsonNode *item = json_array_get_element (arr, i);

              if (!is_string (item) ||
                  !g_regex_match (attr->compiled_regex, json_node_get_string (item), 0, NULL))
                {
                  *problem = g_strdup_printf ("has item %u not matching the regex '%s'", i + 1,
                                              g_regex_get_pattern (attr->compiled_regex));
                  return FALSE;
                }
            }
        }
      break;

    case BOUGH_ATTRIBUTE_KIND_ID:
    case BOUGH_ATTRIBUTE_KIND_TEXT:
    case BOUGH_ATTRIBUTE_KIND_TEXT_AREA:
    case BOUGH_ATTRIBUTE_KIND_PASSWORD:
    case BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD:
    case BOUGH_ATTRIBUTE_KIND_FILE:
    case BOUGH_ATTRIBUTE_KIND_NUMBER_POOL:
    case BOUGH_ATTRIBUTE_KIND_BOOLEAN:
    case BOUGH_ATTRIBUTE_KIND_CHECKBOX:
    case BOUGH_ATTRIBUTE_KIND_JSON:
    case BOUGH_ATTRIBUTE_KIND_ANY:
    default:
      break;
    }

  if (text != NULL && attr->kind != BOUGH_ATTRIBUTE_KIND_DROPDOWN &&
      !check_text_constraints (attr, text, problem))
    return FALSE;

  if (attr->enum_values != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (attr->enum_values); i++)
        {
          JsonNode *e = json_array_get_element (attr->enum_values, i);

          if (JSON_NODE_HOLDS_VALUE (e) && JSON_NODE_HOLDS_VALUE (value) &&
              json_node_equal (e, value))
            found = TRUE;
        }
      if (!found)
        {
          *problem = g_strdup ("is not one of the enum values");
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * bough_attribute_validate_value:
 * @attr: an attribute schema
 * @value: a non-null JSON value
 * @error: return location for a %BOUGH_ERROR_INVALID error
 *
 * Checks that @value suits @attr: its type for the attribute kind, then
 * regex, length, enum, Dropdown choices and Number parameters. The error
 * message names the attribute and the value.
 *
 * Returns: %TRUE if @value is valid
 */
gboolean
bough_attribute_validate_value (BoughAttributeSchema  *attr,
                                JsonNode              *value,
                                GError               **error)
{
  g_autofree char *problem = NULL;

  g_return_val_if_fail (attr != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_bough_attribute_check_value (attr, value, &problem))
    {
      g_autofree char *shown = json_to_string (value, FALSE);

      if (g_utf8_strlen (shown, -1) > 80)
        {
          char *cut = g_utf8_offset_to_pointer (shown, 77);

          strcpy (cut, "...");
        }
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "attribute '%s' (%s): value %s %s",
                   attr->name, bough_attribute_kind_to_string (attr->kind), shown, problem);
      return FALSE;
    }
  return TRUE;
}
