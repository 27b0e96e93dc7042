/* bough-util.c: helpers shared by the client's views: the symbolic icon
 * that stands for a schema's Material Design icon name, and lenient readers
 * of the API's JSON answers.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <string.h>

#include "bough-util.h"

/* Schemas name Material Design icons ("mdi:server"), which the desktop's
 * icon theme lacks: each maps to the closest symbolic icon of Adwaita by
 * the words in its name, first match wins. */
static const struct
{
  const char *word;
  const char *icon_name;
} icon_words[] = {
  { "server", "network-server-symbolic" },
  { "router", "network-wired-symbolic" },
  { "switch", "network-wired-symbolic" },
  { "ethernet", "network-wired-symbolic" },
  { "network", "network-workgroup-symbolic" },
  { "vpn", "network-vpn-symbolic" },
  { "wifi", "network-wireless-symbolic" },
  { "access-point", "network-wireless-symbolic" },
  { "tag", "bookmark-new-symbolic" },
  { "label", "bookmark-new-symbolic" },
  { "map", "mark-location-symbolic" },
  { "location", "mark-location-symbolic" },
  { "domain", "mark-location-symbolic" },
  { "city", "mark-location-symbolic" },
  { "earth", "web-browser-symbolic" },
  { "web", "web-browser-symbolic" },
  { "account", "system-users-symbolic" },
  { "user", "system-users-symbolic" },
  { "group", "folder-symbolic" },
  { "key", "system-lock-screen-symbolic" },
  { "lock", "system-lock-screen-symbolic" },
  { "shield", "system-lock-screen-symbolic" },
  { "git", "folder-remote-symbolic" },
  { "source", "folder-remote-symbolic" },
  { "file", "x-office-document-symbolic" },
  { "document", "x-office-document-symbolic" },
  { "text", "x-office-document-symbolic" },
  { "calendar", "x-office-calendar-symbolic" },
  { "clock", "preferences-system-time-symbolic" },
  { "timer", "preferences-system-time-symbolic" },
  { "chip", "computer-symbolic" },
  { "memory", "computer-symbolic" },
  { "desktop", "computer-symbolic" },
  { "laptop", "computer-symbolic" },
  { "harddisk", "drive-harddisk-symbolic" },
  { "database", "drive-multidisk-symbolic" },
  { "package", "package-x-generic-symbolic" },
  { "cube", "package-x-generic-symbolic" },
  { "card", "view-grid-symbolic" },
  { "star", "starred-symbolic" },
  { "flag", "emoji-flags-symbolic" },
  { "folder", "folder-symbolic" },
  { "ip", "network-workgroup-symbolic" },
};

/**
 * bough_icon_name_for_schema_icon:
 * @schema_icon: (nullable): a schema's icon, such as `mdi:server`
 *
 * Returns: a symbolic icon name of the icon theme
 */
const char *
bough_icon_name_for_schema_icon (const char *schema_icon)
{
  if (schema_icon == NULL || schema_icon[0] == '\0')
    return "view-list-symbolic";
  for (guint i = 0; i < G_N_ELEMENTS (icon_words); i++)
    if (strstr (schema_icon, icon_words[i].word) != NULL)
      return icon_words[i].icon_name;
  return "view-list-symbolic";
}

/* Lenient readers of an answer's members: NULL when @object is NULL, the
 * member is absent or of another type (a null included), so that a view can
 * chain them through optional parts of an answer. */
const char *
bough_jstr (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
bough_jobj (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
bough_jarr (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}
