/* bough-gql-result.h: the executor's response tree (objects with members in insertion order,
 * all allocated in one arena) and its JSON writer: strings escaped, doubles shortest and valid.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _BoughGqlTree BoughGqlTree;
typedef struct _BoughGqlObject BoughGqlObject;
typedef struct _BoughGqlArray BoughGqlArray;

BoughGqlTree   *bough_gql_tree_new            (void);
void            bough_gql_tree_free           (BoughGqlTree   *tree);
gpointer        bough_gql_tree_keep           (BoughGqlTree   *tree,
                                               gpointer        data,
                                               GDestroyNotify  destroy);
const char     *bough_gql_tree_strdup         (BoughGqlTree   *tree,
                                               const char     *s);
char          **bough_gql_tree_strdupv        (BoughGqlTree   *tree,
                                               char          **strv);
BoughGqlObject *bough_gql_tree_new_object     (BoughGqlTree   *tree);
BoughGqlArray  *bough_gql_tree_new_array      (BoughGqlTree   *tree);

/* Members are appended: a key is set once per object. Keys and borrowed
 * strings and nodes must outlive the tree (bough_gql_tree_keep()). */
void            bough_gql_object_set_null     (BoughGqlTree   *tree,
                                               BoughGqlObject *obj,
                                               const char     *key);
void            bough_gql_object_set_boolean  (BoughGqlTree   *tree,
                                               BoughGqlObject *obj,
                                               const char     *key,
                                               gboolean        value);
void            bough_gql_object_set_int      (BoughGqlTree   *tree,
                                               BoughGqlObject *obj,
                                               const char     *key,
                                               gint64          value);
void            bough_gql_object_set_double   (BoughGqlTree   *tree,
                                               BoughGqlObject *obj,
                                               const char     *key,
                                               double          value);
void            bough_gql_object_set_string   (BoughGqlTree   *tree,
                                               BoughGqlObject *obj,
                                               const char     *key,
                                               const char     *value);
void            bough_gql_object_set_json     (BoughGqlTree   *tree,
                                               BoughGqlObject *obj,
                                               const char     *key,
                                               JsonNode       *value);
void            bough_gql_object_set_object   (BoughGqlTree   *tree,
                                               BoughGqlObject *obj,
                                               const char     *key,
                                               BoughGqlObject *value);
void            bough_gql_object_set_array    (BoughGqlTree   *tree,
                                               BoughGqlObject *obj,
                                               const char     *key,
                                               BoughGqlArray  *value);
void            bough_gql_object_set_strv     (BoughGqlTree   *tree,
                                               BoughGqlObject *obj,
                                               const char     *key,
                                               char          **value);
void            bough_gql_object_mark_null    (BoughGqlObject *obj);
gboolean        bough_gql_object_is_null      (const BoughGqlObject *obj);

void            bough_gql_array_add_object    (BoughGqlTree   *tree,
                                               BoughGqlArray  *array,
                                               BoughGqlObject *value);
void            bough_gql_array_add_string    (BoughGqlTree   *tree,
                                               BoughGqlArray  *array,
                                               const char     *value);
void            bough_gql_array_add_json      (BoughGqlTree   *tree,
                                               BoughGqlArray  *array,
                                               JsonNode       *value);

void            bough_gql_object_write        (const BoughGqlObject *obj,
                                               GString              *out);
void            bough_gql_json_write          (JsonNode       *node,
                                               GString        *out);
void            bough_gql_write_string        (GString        *out,
                                               const char     *s);
void            bough_gql_write_double        (GString        *out,
                                               double          value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughGqlTree, bough_gql_tree_free)

G_END_DECLS
