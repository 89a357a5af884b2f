/* model.c: names of the value models and their parameters, and scoring by model kind. */
#include "birebir/model.h"

#include <string.h>

#include "birebir/bgnbd.h"
#include "birebir/pnbd.h"

static const struct {
    bb_model_kind kind;
    const char *name;
    const char *params[BB_FIT_MAX_PARAMS];
    int np;
} models[] = {
    {BB_MODEL_BGNBD, "bgnbd", {"r", "alpha", "a", "b"}, 4},
    {BB_MODEL_PNBD, "pnbd", {"r", "alpha", "s", "beta"}, 4},
    {BB_MODEL_GAMMAGAMMA, "gammagamma", {"p", "q", "gamma", NULL}, 3},
};

const char *bb_model_name(bb_model_kind model)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (models[i].kind == model)
            return models[i].name;
    return NULL;
}

bb_model_kind bb_model_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof models / sizeof models[0]; i++)
        if (strcmp(models[i].name, name) == 0)
            return models[i].kind;
    return 0;
}

const char *bb_model_param_name(bb_model_kind model, int i)
{
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        if (models[k].kind == model)
            return i >= 0 && i < models[k].np ? models[k].params[i] : NULL;
    return NULL;
}

int bb_model_nparams(bb_model_kind model)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (models[i].kind == model)
            return models[i].np;
    return 0;
}

double bb_model_p_alive(const bb_fit *fit, int32_t x, double t_x, double T)
{
    switch (fit->model) {
    case BB_MODEL_BGNBD: return bb_bgnbd_p_alive(fit->params, x, t_x, T);
    case BB_MODEL_PNBD: return bb_pnbd_p_alive(fit->params, x, t_x, T);
    default: return 0.0;
    }
}

double bb_model_expected(const bb_fit *fit, int32_t x, double t_x, double T, double t)
{
    switch (fit->model) {
    case BB_MODEL_BGNBD: return bb_bgnbd_expected(fit->params, x, t_x, T, t);
    case BB_MODEL_PNBD: return bb_pnbd_expected(fit->params, x, t_x, T, t);
    default: return 0.0;
    }
}
